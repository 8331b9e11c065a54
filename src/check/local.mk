# src/check: files are added here
