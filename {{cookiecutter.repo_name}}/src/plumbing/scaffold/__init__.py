"""`flask scaffold`: writes a whole resource across the four layers, in the house style of Todo."""
