print("halod")
