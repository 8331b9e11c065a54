# tests: files are added here
