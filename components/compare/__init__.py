"""The Compare page's widgets: run history, overlaid curves, diffs, trade-offs, the
MNIST-versus-CIFAR-10 flow and the presentation view. The logic is builder.compare."""
