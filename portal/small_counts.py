"""Small counts that could single a person out, printed as "<5": the rule of the P2TP2A's monthly recap
(cases.recap), shared with the heads' dashboards (portal.dashboards), which print the same counts of victims'
cases outside the case team.

A count from 1 to 4 is printed "<5" (`shown`). Where a table's total is printed beside its counts, a lone "<5"
could be worked out from it: a larger count is hidden too and printed "*" (`suppress`).
"""

SUPPRESSED = "<5"
# A count hidden only so that the total does not give a "<5" beside it away (`suppress`): it is no small count.
HIDDEN_FOR_TOTAL = "*"
# The smallest count printed as it is.
SMALLEST_SHOWN = 5


def shown(count):
    return SUPPRESSED if 0 < count < SMALLEST_SHOWN else count


def suppress(counts, *, total_printed):
    """The counts of one table as printed: 1 to 4 as "<5", 0 as 0.

    Where the table's total is printed, the hidden counts sum to the total less the shown ones; while that sum
    pins a hidden count to one value (a single "<5"; two "<5" summing to 2 or 8; a "<5" and a "*" summing to 6,
    which makes them 1 and 5), the smallest count still shown (the first, of equals) is hidden as well, printed
    "*": at least 5, hidden only so the small ones cannot be worked out.
    """
    printed = [shown(count) for count in counts]
    if not total_printed or sum(counts) < SMALLEST_SHOWN:
        return printed
    while _pinned(counts, printed) and any(value not in (0, SUPPRESSED, HIDDEN_FOR_TOTAL) for value in printed):
        _count, index = min(
            (count, index) for index, count in enumerate(printed) if count not in (0, SUPPRESSED, HIDDEN_FOR_TOTAL)
        )
        printed[index] = HIDDEN_FOR_TOTAL
    return printed


def _pinned(counts, printed) -> bool:
    """Whether a reader who knows the total and the rule above finds the value of a count printed "<5"."""
    small = printed.count(SUPPRESSED)
    if not small:
        return False
    hidden_for_total = printed.count(HIDDEN_FOR_TOTAL)
    hidden = sum(count for count, value in zip(counts, printed) if value in (SUPPRESSED, HIDDEN_FOR_TOTAL))
    others_least = (small - 1) + SMALLEST_SHOWN * hidden_for_total  # the rest of the hidden, as small as may be
    highest = min(SMALLEST_SHOWN - 1, hidden - others_least)
    if hidden_for_total:  # the "*" have no upper bound: only the highest value a "<5" can take is known
        return highest < 2
    lowest = max(1, hidden - (SMALLEST_SHOWN - 1) * (small - 1))
    return lowest == highest
