"""One serializer per model, built on demand; every save runs the model's own clean() rules."""

import json

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.settings import api_settings

_CACHE: dict[tuple, type] = {}


class RecordSerializer(serializers.ModelSerializer):
    """Validates through Model.full_clean so the API refuses exactly what a form refuses."""

    def _access(self):
        from brigade.core.roles import access_for

        request = self.context.get("request")
        return access_for(request.user) if request is not None else None

    def get_validators(self):
        # No unique-together validators of DRF's: full_clean checks the model's constraints, and a code
        # unique within a brigade is checked once the brigade is known (check_writable), naming it.
        return []

    def get_uniqueness_extra_kwargs(self, field_names, declared_fields, extra_kwargs):
        return extra_kwargs, {}  # a brigade left empty is the user's, not a required field

    def get_fields(self):
        from brigade.core.access import limit_choices

        fields = super().get_fields()
        if (access := self._access()) is not None:
            limit_choices(fields, access)  # another brigade's street is "not found", as on the form
        return fields

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        m2m = {f.name for f in model._meta.many_to_many}
        for name, value in attrs.items():
            if isinstance(value, dict | list) and "\\u0000" in json.dumps(value):
                raise serializers.ValidationError({name: ["数据中不能含有空字符（\\0）。"]})
        instance = self.instance or model()
        saved = {name: getattr(instance, name) for name in attrs if name not in m2m} if self.instance else {}
        for name, value in attrs.items():
            if name not in m2m:
                setattr(instance, name, value)
        try:
            # Fields only a workflow service sets are that service's to check.
            instance.full_clean(exclude=[*m2m, *getattr(self.Meta, "read_only_fields", ())])
            # clean() may normalise values (upper-case codes, whole numbers): save what it kept.
            attrs.update({name: getattr(instance, name) for name in attrs if name not in m2m})
            if (access := self._access()) is not None:
                from brigade.core.access import check_writable

                check_writable(access, instance)  # 403 outside the user's brigade; sets an empty own brigade
                if "brigade" not in attrs and getattr(instance, "brigade_id", None) is not None:
                    attrs["brigade"] = instance.brigade
        except DjangoValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
            if NON_FIELD_ERRORS in errors:
                errors[api_settings.NON_FIELD_ERRORS_KEY] = errors.pop(NON_FIELD_ERRORS)
            raise serializers.ValidationError(errors) from exc
        finally:
            for name, value in saved.items():  # a refused update leaves the instance as it was
                setattr(instance, name, value)
        return attrs


def serializer_for(model, read_only: tuple[str, ...] = ()) -> type[RecordSerializer]:
    key = (model, read_only)
    if key not in _CACHE:
        meta = type("Meta", (), {"model": model, "fields": "__all__",
                                 "read_only_fields": ("created_at", "updated_at", *read_only)})
        _CACHE[key] = type(f"{model.__name__}Serializer", (RecordSerializer,), {"Meta": meta})
    return _CACHE[key]
