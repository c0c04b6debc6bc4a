print("halo-sim")
