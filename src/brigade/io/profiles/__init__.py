"""Dispatch-system (119/CAD) exports imported through a mapping profile (a YAML file in this folder).

A profile says which foreign column holds which Incident / Dispatch field, how its timestamps and
durations are written and in which time zone, how its call types and real/false alarm column map
to our categories, which brigade and first-due station each call belongs to, and which responding
units a row holds: one vehicle per row (San Francisco), or several unit groups side by side on one
alarm row (a station and a micro fire station). The format is documented in
``docs/import-profiles.md``; the modules: ``spec`` (the profile), ``table`` (the file's rows and header),
``parse`` (rows → calls), ``write`` (calls → records), ``preview`` (what a dry run shows), ``run`` (the
import, ``import_with_profile``), ``suggest`` (a draft profile).

Rules that keep counts complete:
- rows sharing the call's key (its number, or a key built from columns) are one incident;
- a timestamp earlier than the one before it in the timeline is impossible; the row is kept, only
  that timestamp is left empty, and the report lists it as a data-quality flag with row and column;
  so are unreadable durations and durations that disagree with their timestamps;
- a row that cannot be read at all is an error, and as with ledgers nothing is imported until it is fixed;
- incidents whose number is already in the database are skipped, so re-importing adds nothing.
"""
