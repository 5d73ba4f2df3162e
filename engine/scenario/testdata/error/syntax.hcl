scenario "syntax" {
  title    = "Broken syntax"
  duration = "60m"
  group "app" {
    members = ["ana"
    owner   = "ana" # ERROR col=5: Missing item separator
  }
}
