"""Chorus's INF-BUD-53 restitution (EJ lines and their amounts): ``read`` turns an export into records."""
