"""Inside the model: recorded feature maps, Grad-CAM and probabilities (``view``), your own
drawing or image through the best model (``own``), and the drawing pad component (``pad``)."""
