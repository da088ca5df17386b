"""The Train page's widgets: dataset, settings, forecast, the live run and its evaluation.

Kept free of imports so that ``python -m components.training.fetch`` starts light.
"""
