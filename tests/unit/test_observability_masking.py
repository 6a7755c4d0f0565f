"""Personal data never reaches a log line: the logger's formatter erases it."""

from __future__ import annotations

import io
import json
import logging
import uuid

from aws_lambda_powertools import Logger

from internship import observability
from internship.observability import PersonalDataMaskingFormatter

ID_NUMBER = "11010519491231002X"


def capture() -> tuple[Logger, io.StringIO]:
    stream = io.StringIO()
    logger = Logger(
        service=f"masking-{uuid.uuid4().hex}",
        logger_formatter=PersonalDataMaskingFormatter(),
        logger_handler=logging.StreamHandler(stream),
    )
    return logger, stream


def test_the_shared_logger_masks_personal_data():
    assert isinstance(observability.logger.registered_formatter, PersonalDataMaskingFormatter)


def test_an_id_number_logged_as_a_message_is_erased():
    logger, stream = capture()
    logger.info({"idNumber": ID_NUMBER, "applicationId": "a1"})
    line = json.loads(stream.getvalue())
    assert ID_NUMBER not in stream.getvalue()
    assert line["message"]["applicationId"] == "a1"
    assert line["message"]["idNumber"] != ID_NUMBER


def test_nested_extra_keys_are_erased_and_the_rest_kept():
    logger, stream = capture()
    logger.info(
        "profile upserted",
        extra={
            "profile": {"name": "张三", "phone": "13812345678", "people": [{"mobile": "13900001111"}]},
            "token": "s3cr3t",
        },
    )
    text = stream.getvalue()
    for personal in ("张三", "13812345678", "13900001111", "s3cr3t"):
        assert personal not in text
    line = json.loads(text)
    assert line["message"] == "profile upserted"
    assert line["level"] == "INFO"


def test_lines_without_personal_data_are_untouched():
    logger, stream = capture()
    logger.info("decided", extra={"applicationId": "a1", "decision": "APPROVED"})
    line = json.loads(stream.getvalue())
    assert (line["applicationId"], line["decision"]) == ("a1", "APPROVED")
