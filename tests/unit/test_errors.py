"""One table names the error codes, for the domain errors and the framework's alike."""

from __future__ import annotations

from milestones import errors


def test_each_domain_error_takes_its_code_from_the_table() -> None:
    classes = [
        value
        for value in vars(errors).values()
        if isinstance(value, type) and issubclass(value, errors.DomainError)
    ]
    assert len(classes) == 11  # DomainError and its ten statuses
    for cls in classes:
        assert cls.code == errors.HTTP_CODES[cls.status], cls
    assert errors.Unprocessable.code == "validation_error"
    assert errors.NotFound("x").code == "not_found"
    assert errors.Conflict("x", code="duplicate_name").code == "duplicate_name"
    assert errors.code_for(418) == "error"
