"""The shipped examples (profiles, a batch folder, a basket table, a foods table); ``mealplan init`` copies them out."""
