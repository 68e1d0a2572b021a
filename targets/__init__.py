"""Who the person is and what they need: the profile, and the daily targets computed from it.

- ``profile.py``: the :class:`Profile` model, its fields and the rules between them;
  ``profile_files.py`` reads one from YAML, TOML or JSON and names every problem.
- ``compute.py``: :func:`compute_targets`, reference intakes by life stage, energy, triage raises,
  medicine, condition and diet rules (``adjustments.py``, with their data in
  ``food_data/data/target_rules.yaml``) and the dietitian's overrides.
- ``model.py``: the :class:`Targets` every plan records, each bound with its source.

Below the optimizer: nothing here solves or knows about meals.
"""
