from digikort.cli import main

main()
