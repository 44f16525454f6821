#!/usr/bin/env python3
"""The platform team's stack in Python: a preset on every listed account, one account overriding the idle time,
and the organisation's guard over everything (accounts, the enterprise and a trusted profile).

Accounts come from IAMSESSION_ACCOUNT_IDS (comma-separated), the enterprise from IAMSESSION_ENTERPRISE_ID. With
IAMSESSION_LOOSEN=1 the trusted profile grants 12-hour sessions, and the guard fails synthesis."""
import os

from cdktf import App, Aspects, TerraformStack
from iamsession_cdktf import (
    DestroyBehavior,
    Duration,
    EnterpriseSettings,
    IamsessionProvider,
    LoginSessionPolicy,
    MaxSessionsExceededAction,
    PolicyPreset,
    SessionPolicyGuard,
    SettingValue,
    TrustedProfile,
)

STACK_NAME = "python"


def accounts() -> list[str]:
    raw = os.environ.get("IAMSESSION_ACCOUNT_IDS", "payments-prod,ledger-prod")
    return [a.strip() for a in raw.split(",") if a.strip()]


def build(app: App) -> TerraformStack:
    stack = TerraformStack(app, STACK_NAME)
    IamsessionProvider(stack, "iamsession")
    first, *rest = accounts()
    # The financial preset; the lead account allows one session per identity instead of the preset's two.
    # Its one session is kept: a second login is refused rather than ending the first.
    LoginSessionPolicy(
        stack,
        "lead",
        accounts=[first],
        preset=PolicyPreset.FINANCIAL,
        max_sessions_per_identity=1,
        max_sessions_exceeded_action=MaxSessionsExceededAction.DENY_NEW,
    )
    if rest:
        LoginSessionPolicy(stack, "fleet", accounts=rest, preset=PolicyPreset.FINANCIAL, destroy_behavior=DestroyBehavior.RESET)
    enterprise = os.environ.get("IAMSESSION_ENTERPRISE_ID")
    if enterprise:
        EnterpriseSettings(
            stack,
            "enterprise",
            enterprise_id=enterprise,
            session_invalidation_in_seconds="900",
            session_expiration_in_seconds="3600",
            max_sessions_per_identity="2",
        )
    loosen = os.environ.get("IAMSESSION_LOOSEN") == "1"
    TrustedProfile(
        stack,
        "auditors",
        account_id=first,
        name="auditors",
        session_duration_in_seconds="43200" if loosen else SettingValue.NOT_SET,
    )
    Aspects.of(stack).add(
        SessionPolicyGuard(
            max_idle=Duration.minutes(15),
            max_lifetime=Duration.hours(1),
            forbid_unlimited_sessions=True,
            max_trusted_profile_session_duration=Duration.hours(1),
        )
    )
    return stack


if __name__ == "__main__":
    app = App()
    build(app)
    app.synth()
