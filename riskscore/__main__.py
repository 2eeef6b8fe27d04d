from riskscore.cli.main import main

main()
