print("routeplanner")
