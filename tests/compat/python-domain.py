#!/usr/bin/python3
# python-domain.py: placeholder while the suite is written
print("1..0 # SKIP not written yet")
