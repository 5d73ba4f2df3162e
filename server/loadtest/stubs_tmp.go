package main

func ingestMain([]string) {}
func stormMain([]string)  {}
func reportMain([]string) {}
