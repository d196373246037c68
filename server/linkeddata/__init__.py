"""Linked data: describing resources, catalogue (DCAT-AP), dumps and VoID."""
