"""A draft is any part of the submit body: the same fields, looser types."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from internship.applications.models import SubmitApplicationRequest
from internship.drafts.models import DraftFields, DraftForm


def test_a_draft_has_exactly_the_fields_of_the_submit_body() -> None:
    # A field added to the form is a field a draft keeps (and one removed is refused in both)
    assert set(DraftForm.model_fields) == set(SubmitApplicationRequest.model_fields)
    assert set(DraftFields.model_fields) == set(SubmitApplicationRequest.model_fields) - {"household_region_name"}


def test_every_field_may_be_left_out_and_text_is_kept_as_typed_so_far() -> None:
    assert DraftForm.model_validate({}).model_dump(exclude_unset=True) == {}
    half = DraftForm.model_validate({"phone": " 138 ", "graduationDate": "2025-1", "attachmentIds": []})
    assert (half.phone, half.graduation_date, half.attachment_ids) == ("138", "2025-1", [])


# (A zero-width space at either end is trimmed like a space, internship.types.trim; inside it is refused.)
@pytest.mark.parametrize("body", [{"phone": "1\u202e38"}, {"school": "山\u200b西"}, {"attachmentIds": [""]}])
def test_invisible_characters_and_empty_ids_are_refused(body: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        DraftForm.model_validate(body)
