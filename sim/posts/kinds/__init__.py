"""The post kinds, one module each (each defines ``KIND``); discovered by :func:`sim.posts.kinds`.

To add a kind, add a module here and a test: see docs/adding-a-post.md.
"""
