"""就业创业证 online (SPEC §4 "Registrations"): 求职登记 and 失业登记, reviewed by the bureau of the
household register, whose approval issues the certificate; and 资格自查, which paths fit a citizen.

A registration is another kind of case (``internship.cases``): its status moves, history, guards,
lists, queues, review and audit are the cases' own; this package holds what is a registration's:
its item and rules, its submission, the certificate, and the eligibility check.
"""
