"""``python -m mealplan``: the same command line as ``mealplan``."""

from mealplan.cli.main import main

if __name__ == "__main__":
    main()
