# doc: files are added here
