"""Internship positions (见习岗位): the public catalogue and position maintenance (见习岗位录入及维护).

``models`` (request/response shapes), ``repository`` (DynamoDB items, keys, cursors, the approval
increment used by the review transaction), ``service`` (the rules).
"""
