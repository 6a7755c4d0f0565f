"""Applications (就业见习人员申请): submit (申报), my cases (我的办件), detail, withdraw (撤回), re-apply.

- ``models``: request and response models (camelCase), status values and their Chinese labels.
- ``rules``: pure eligibility and date rules (no I/O), each a Chinese message on one field.
- ``items``: the application, history, guard and reference items, typed (built only there).
- ``repository``: every DynamoDB call: the submit transaction, the one status move, my cases and the review queue.
- ``service``: the use cases, composed from the rules and the repository.
"""
