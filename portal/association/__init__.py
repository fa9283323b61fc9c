"""Methodological associations: ШМО, совет наставников; the city's ГМО and seminars of curators."""
