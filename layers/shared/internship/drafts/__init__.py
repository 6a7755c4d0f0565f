"""A person's form draft (草稿) of an application: kept as they type, offered back on any device."""
