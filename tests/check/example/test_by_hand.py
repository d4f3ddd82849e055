"""The README's example of a test written by hand with the plugin's `findings_of`."""

CUT_OFF = [
    {"id": "e1", "type": "CallReceived", "at": "2024-05-10T00:00:00+01:00",
     "incident": "INC-1", "call": "c1", "channel": "999"},
    {"id": "e2", "type": "CallEnded", "at": "2024-05-10T00:01:00+01:00",
     "call": "c1", "how": "line-dropped"},
]  # fmt: skip


def test_a_dropped_call_gets_a_finding_once_15_minutes_pass_without_a_callback(findings_of):
    """The callback window ends at 00:16: a finding only after it, starting at the cut-off."""
    assert findings_of(CUT_OFF, at="2024-05-10T00:16:00+01:00") == []
    late = findings_of(CUT_OFF, at="2024-05-10T00:16:01+01:00")
    assert [(f["code"], f["start"], f["end"]) for f in late] == [
        ("call-cut-off-without-callback", "2024-05-10T00:01:00+01:00", None)
    ]
