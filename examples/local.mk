# examples: files are added here
