"""A sample app that plugs itself into the shell the way every new app does.

It exists to prove the seams: its folder, one line in INSTALLED_APPS (tests/settings.py) and one
line in the root URLconf (tests/urls.py) are all it takes. From its ``ready()`` it registers a
navigation entry, a panel on the 360° page, the badge tones of its status field, a handler of
a domain event, and how its rows follow a merge of companies or an erasure of a person.
"""
