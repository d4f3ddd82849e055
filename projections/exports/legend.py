"""The swimlane chart's legend: each mark's shape (SVG, our own markup) and its words."""

from __future__ import annotations

LEGEND = (
    ('<rect x="1" y="3" width="24" height="8" rx="2" fill="#3b6fb6"/>', "call (answered → ended)"),
    (
        '<circle cx="13" cy="7" r="5" fill="#fff" stroke="#c73a3a" stroke-width="2"/>'
        '<path d="M10 4l6 6m0-6l-6 6" stroke="#c73a3a" stroke-width="2"/>',
        "call cut off",
    ),
    ('<path d="M13 0l7 7l-7 7l-7-7z" fill="#6a4fb3"/>', "graded"),
    ('<rect x="8" y="2" width="10" height="10" fill="#9b6a3c"/>', "classified"),
    ('<rect x="1" y="3" width="24" height="8" rx="2" fill="#a9c9ef"/>', "unit allocated"),
    ('<rect x="1" y="3" width="24" height="8" rx="2" fill="#5b97dc"/>', "unit en route"),
    ('<rect x="1" y="3" width="24" height="8" rx="2" fill="#2e8b57"/>', "unit at scene"),
    ('<circle cx="13" cy="7" r="5" fill="#c73a3a"/>', "unit left (diverted, deallocated)"),
    ('<rect x="1" y="3" width="24" height="8" rx="2" fill="#5c6bc0"/>', "radio → acknowledged"),
    (
        '<circle cx="13" cy="7" r="5" fill="#fff" stroke="#c73a3a" stroke-width="2.4"/>',
        "radio not acknowledged",
    ),
    ('<rect x="8" y="2" width="10" height="10" fill="#6b7280"/>', "note, marker, link"),
    ('<path d="M13 0v14" stroke="#111" stroke-dasharray="3 2" stroke-width="1.5"/>', "closed"),
    ('<rect x="1" y="2" width="24" height="10" rx="2" fill="#c73a3a"/>', "finding: high"),
    ('<rect x="1" y="2" width="24" height="10" rx="2" fill="#e29a17"/>', "finding: medium"),
    ('<rect x="1" y="2" width="24" height="10" rx="2" fill="#8a96a3"/>', "finding: info"),
)
