"""The sync folder: the files each device writes and reads (files.py), and the git
repository that carries them between devices (hub.py). docs/sync.md describes the layout."""
