"""Domain events (领域事件) derived from the table's stream and put on the EventBridge bus.

An event exists exactly when its write committed: the publisher reads DynamoDB's stream, never
the API handlers. Details carry ids and statuses only, never ID numbers, phones or names.
"""
