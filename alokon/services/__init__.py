"""Writes of the ALOKON warehouse, by job: `ledger` (stock, receipts, movements, counts), `allocation` (requests,
routine plans, SPMB), `dispatch` (SBBK, delivery, the faskes' receipt) and `usage` (monitoring, monthly reports)."""


