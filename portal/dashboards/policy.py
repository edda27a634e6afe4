"""Whose dashboard shows which services, and which services print their small counts as "<5".

A service's dashboard is read by whoever evaluates it (portal.evaluation.policy): the heads (Kepala Bidang, Kepala
Dinas) of its unit or above. A head of several services, as the Kepala Dinas is of the agency's, first sees them
side by side.
"""

from portal.evaluation import policy as evaluation_policy

reads_any = evaluation_policy.evaluates_any
read_services = evaluation_policy.evaluated_services

# The apps whose records are each about a victim of violence (the P2TP2A's cases). The dashboard is read, shown
# and printed outside the case team, so its counts are printed as the monthly recap prints them
# (portal.small_counts): a count from 1 to 4 as "<5", and a share or a median only from 5 records up.
HIDES_SMALL_COUNTS = frozenset({"cases"})


def hides_small_counts(service) -> bool:
    return service.app in HIDES_SMALL_COUNTS
