"""The one typed configuration resource, passed to assets, checks, sensors and the CLI.

``AicapexConfig`` is ``orchestration.config.ConfigValues`` as a ``dg.ConfigurableResource``: the
Dagster UI shows its fields, and every asset, check and sensor receives it as the ``settings``
resource. ``load_config()`` builds it from the environment once, when the ``Definitions`` are
built (or when ``aicapex run`` starts): the secrets are bound with ``dg.EnvVar`` (resolved at run
time, never written to the run's stored config); the other variables are read and typed then.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import dagster as dg
import pydantic

from orchestration.config import ENV_VARS, FIELDS, SECRETS, ConfigValues, environment_values


class _ResourceMethods:
    """``ConfigValues.get()`` (validation, ``Settings``) for the resource, and secrets that may
    still be a ``dg.EnvVar`` outside a run (the CLI); inside a run Dagster has resolved them."""

    get = ConfigValues.get

    def secret(self, name: str) -> str:
        value = getattr(self, name)
        return (value.get_value() or "") if isinstance(value, dg.EnvVar) else value


# The fields of ConfigValues, typed and defaulted, as a ConfigurableResource: one declaration.
AicapexConfig = pydantic.create_model(
    "AicapexConfig",
    __base__=(dg.ConfigurableResource, _ResourceMethods),
    __module__=__name__,
    __doc__="Every setting of the pipeline (``ConfigValues``) as a Dagster resource.",
    **FIELDS,
)


def load_config(environ: Mapping[str, str] | None = None, **overrides: object) -> AicapexConfig:
    """The configuration from the environment (``os.environ`` by default), then ``overrides``.

    A variable that is set binds its field (secrets as ``dg.EnvVar``, when read from
    ``os.environ``); one that is not set leaves the default. ``overrides`` are what the CLI's
    flags say (``--live``, ``--snapshot DIR``): they win over the environment and never change it.
    """
    values = environment_values(environ)
    if environ is None:
        values |= {name: dg.EnvVar(ENV_VARS[name]) for name in SECRETS
                   if os.environ.get(ENV_VARS[name])}
    return AicapexConfig(**{**values, **overrides})
