"""Role matrix, one module per feature: each defines MATRIX = {endpoint: {who, ...}}."""
