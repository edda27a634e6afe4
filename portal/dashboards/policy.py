"""Whose dashboard shows which services, and which services print their small counts as "<5".

A service's dashboard is read by whoever evaluates it (portal.evaluation.policy): the heads (Kepala Bidang, Kepala
Dinas) of its unit or above. A head of several services, as the Kepala Dinas is of the agency's, first sees them
side by side.
"""

from portal.evaluation import policy as evaluation_policy

reads_any = evaluation_policy.evaluates_any
read_services = evaluation_policy.evaluated_services

def hides_small_counts(service) -> bool:
    """Whether the service's records are each a victim's (WorkflowRecord.hides_small_counts): the dashboard is read,
    shown and printed outside the case team, so its counts are printed as the monthly recap prints them
    (portal.small_counts): a count from 1 to 4 as "<5", and a share or a median only from 5 records up."""
    model = service.record_model
    return model is not None and model.hides_small_counts
