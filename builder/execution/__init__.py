"""The process machinery: how runs reach trainers, and what a trainer process is.

executor (the queue's interface and local trainer processes), pool (warm trainers),
factory (which executor, from ``$LAYERLAB_EXECUTOR``), relay and remote (Ray), sink (a
trainer's writes to the store), exits (why a trainer died), tf_env (the environment of
every process that loads TensorFlow). Pages reach it only through
``components.services``; the model modules never import it.
"""
