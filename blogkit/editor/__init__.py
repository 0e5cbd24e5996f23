"""Editor commands: ``new``, ``publish``, ``check`` and ``import`` (issue 5).

Each command is a thin click shell (``commands.py``) around pure-ish functions in
``new.py``, ``publish.py``, ``importer.py`` and the ``check`` package.
"""
