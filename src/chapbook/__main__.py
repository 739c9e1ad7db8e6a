from chapbook.cli import main

main()
