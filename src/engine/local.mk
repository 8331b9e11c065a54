# src/engine: files are added here
