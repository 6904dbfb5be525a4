pytest_plugins = ["plaza.testing.fixtures", "plaza.testing.database"]
