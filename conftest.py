pytest_plugins = ["plaza.testing.fixtures"]
