from chapbook.cli.main import main

main()
