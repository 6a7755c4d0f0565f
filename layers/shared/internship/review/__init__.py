"""Back-office review (审核): the queue of applications, the full record, and decisions."""
