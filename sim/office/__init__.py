"""The office day (办公日): arrivals, the desk and rep rotation, the reception posts, phone
duty, rooms and sample houses, the recorder and the office KPIs.

Assembled from components (:mod:`sim.office.components`) by :class:`sim.office.day.OfficeModel`.
Imports the scenario, the policies, the post kinds, the domain and the core; never the
experiment, report, fee or command-line layers.
"""
