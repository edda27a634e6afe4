"""ALOKON pages, by job, as alokon.services: `ledger` (the warehouse's books), `allocation` (requests, routine
plans), `dispatch` (the distributions and their steps), `usage` (monthly reports); `scoping` is what they share."""


