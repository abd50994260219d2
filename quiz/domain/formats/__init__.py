"""Write the bank and decks in other programs' formats."""
