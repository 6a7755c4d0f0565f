"""The local run's event bus consumers: the template's queues and rules in moto, and the functions that
read the queues, driven in-process as Lambda's SQS event source would drive them.

moto cannot run Lambda functions, but it does what EventBridge and SQS do with what they are given:
a rule of the bus matches each event put on it by the rule's own pattern and sends it to its SQS
target, and a queue with a redrive policy moves a message that was received ``maxReceiveCount``
times to its dead-letter queue. So ``create`` makes, from ``template.yaml``:

- every ``AWS::SQS::Queue`` (named ``internship-<LogicalId>``) with its visibility timeout, retention
  and redrive policy;
- every ``AWS::Events::Rule`` of the template's bus, with its event pattern and its SQS targets;
- the SMS platform's credential (a random value, as the deployer's secret would be), for the
  development SMS platform (``localrun.dev_sms``) the sender is pointed at (``parameters``).

``QueuePump`` then polls each queue a function reads (its ``Type: SQS`` event) and invokes the
function in-process with Lambda's SQS event, deletes what it processed, and makes what it reported
in ``batchItemFailures`` visible again after ``LOCALRUN_QUEUE_RETRY_SECONDS`` (default 2 s; deployed,
the queue's visibility timeout of 180 s), so retries and the dead-letter queue are seen in seconds.

    parameters(base_url) → template parameter overrides (the SMS endpoint and credential)
    credential = create(session)
    pump = start_queue_pump(moto_url)   # … pump.stop()
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from localrun import resources, template

log = logging.getLogger("localrun.bus")

SMS_SECRET = "internship/sms-credential"
Invoke = Callable[[str, dict[str, Any]], Any]


def queue_name(logical_id: str) -> str:
    return f"internship-{logical_id}"


def parameters(base_url: str) -> dict[str, str]:
    """Template parameters of the local run: SMS to the development platform under ``/dev/sms``."""
    return {"SmsEndpoint": f"{base_url}/dev/sms/send", "SmsCredentialSecretArn": SMS_SECRET}


def _arn_of(value: Any, arns: dict[str, str]) -> str:
    """``!GetAtt Queue.Arn`` → the local queue's ARN."""
    logical_id = value["Fn::GetAtt"][0] if isinstance(value, dict) else str(value)
    return arns[logical_id]


def create(session: Any) -> str:
    """Create the template's queues and bus rules in moto, and the SMS credential; the credential."""
    sqs, events = session.client("sqs"), session.client("events")
    queues = template.resources_of_type("AWS::SQS::Queue")
    urls = {logical_id: sqs.create_queue(QueueName=queue_name(logical_id))["QueueUrl"] for logical_id in queues}
    arns = {
        logical_id: sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        for logical_id, url in urls.items()
    }
    for logical_id, resource in queues.items():
        props = resource.get("Properties", {})
        kept = ("VisibilityTimeout", "MessageRetentionPeriod")
        attributes = {name: str(props[name]) for name in kept if name in props}
        if redrive := props.get("RedrivePolicy"):
            dead_letters = _arn_of(redrive["deadLetterTargetArn"], arns)
            attributes["RedrivePolicy"] = json.dumps(
                {"deadLetterTargetArn": dead_letters, "maxReceiveCount": int(redrive["maxReceiveCount"])}
            )
        if attributes:
            sqs.set_queue_attributes(QueueUrl=urls[logical_id], Attributes=attributes)
    bus = resources.LOCAL_NAMES["EventBus"]
    for logical_id, resource in template.resources_of_type("AWS::Events::Rule").items():
        props = resource.get("Properties", {})
        if props.get("EventBusName") != {"Ref": "EventBus"} or "EventPattern" not in props:
            continue
        events.put_rule(Name=logical_id, EventBusName=bus, EventPattern=json.dumps(props["EventPattern"]))
        targets = [{"Id": t["Id"], "Arn": _arn_of(t["Arn"], arns)} for t in props.get("Targets", [])]
        events.put_targets(Rule=logical_id, EventBusName=bus, Targets=targets)
    return _sms_credential(session.client("secretsmanager"))


def _sms_credential(secretsmanager: Any) -> str:
    """The SMS credential: a new random one, or the one a kept local run made before."""
    try:
        credential = secrets.token_urlsafe(24)
        secretsmanager.create_secret(Name=SMS_SECRET, SecretString=credential)
    except secretsmanager.exceptions.ResourceExistsException:
        credential = secretsmanager.get_secret_value(SecretId=SMS_SECRET)["SecretString"]
    return str(credential)


@dataclass(frozen=True)
class Source:
    """A function's ``Type: SQS`` event: the queue it reads and how many messages a batch holds."""

    function: str
    queue: str  # logical id
    batch_size: int


def sources() -> list[Source]:
    found = []
    for logical_id, resource in template.resources_of_type("AWS::Serverless::Function").items():
        for event in (resource["Properties"].get("Events") or {}).values():
            if event.get("Type") == "SQS":
                props = event["Properties"]
                found.append(Source(logical_id, props["Queue"]["Fn::GetAtt"][0], int(props.get("BatchSize", 10))))
    return found


def _lambda_record(message: dict[str, Any], queue_arn: str) -> dict[str, Any]:
    """A ReceiveMessage message as Lambda's SQS event carries it."""
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": message.get("Attributes", {}),
        "messageAttributes": message.get("MessageAttributes", {}),
        "md5OfBody": message.get("MD5OfBody", ""),
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": "us-east-1",
    }


def _default_invoke() -> Invoke:
    from localrun.containers import FunctionHost

    host = FunctionHost()
    return host.invoke


class QueuePump:
    """Polls the queues of ``sources`` and hands their messages to the functions, as Lambda would."""

    def __init__(self, sqs: Any, invoke: Invoke | None = None, *, interval: float = 0.5) -> None:
        self.sqs = sqs
        self.invoke = invoke or _default_invoke()
        self.interval = interval
        self.retry_seconds = int(os.environ.get("LOCALRUN_QUEUE_RETRY_SECONDS", "2"))
        self.sources = sources()
        self._queues: dict[str, tuple[str, str]] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.delivered = 0
        self.failed = 0

    def poll_once(self) -> int:
        """One pass over every queue; the number of messages processed successfully."""
        done = 0
        for source in self.sources:
            url, arn = self._queue(source.queue)
            answer = self.sqs.receive_message(
                QueueUrl=url, MaxNumberOfMessages=min(source.batch_size, 10), AttributeNames=["All"]
            )
            messages = answer.get("Messages", [])
            if messages:
                done += self._deliver(source, url, [_lambda_record(m, arn) for m in messages])
        return done

    def _queue(self, logical_id: str) -> tuple[str, str]:
        """The queue's URL and ARN, asked once."""
        if logical_id not in self._queues:
            url = self.sqs.get_queue_url(QueueName=queue_name(logical_id))["QueueUrl"]
            arn = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
            self._queues[logical_id] = (url, arn)
        return self._queues[logical_id]

    def _deliver(self, source: Source, url: str, records: list[dict[str, Any]]) -> int:
        try:
            answer = self.invoke(source.function, {"Records": records}) or {}
            failed = {f.get("itemIdentifier") for f in answer.get("batchItemFailures", [])}
        except Exception:
            log.exception("%s failed on a batch of %d messages", source.function, len(records))
            failed = {record["messageId"] for record in records}
        for record in records:
            if record["messageId"] in failed:
                self.sqs.change_message_visibility(
                    QueueUrl=url, ReceiptHandle=record["receiptHandle"], VisibilityTimeout=self.retry_seconds
                )
            else:
                self.sqs.delete_message(QueueUrl=url, ReceiptHandle=record["receiptHandle"])
        if failed:
            log.warning("%s will get %d messages again (batchItemFailures)", source.function, len(failed))
        self.failed += len(failed)
        self.delivered += len(records) - len(failed)
        return len(records) - len(failed)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.poll_once()
            except Exception:
                log.exception("reading the queues failed")

    def start(self) -> QueuePump:
        self._thread = threading.Thread(target=self._run, name="localrun-queues", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)


def start_queue_pump(endpoint_url: str, invoke: Invoke | None = None) -> QueuePump:
    """Start polling the template's consumer queues on the moto server at ``endpoint_url``."""
    import boto3

    return QueuePump(boto3.session.Session().client("sqs", endpoint_url=endpoint_url), invoke).start()
