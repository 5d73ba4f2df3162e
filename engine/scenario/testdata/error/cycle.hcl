scenario "cycle" {
  title    = "Services depending on each other"
  duration = "60m"

  group "app" {
    members = ["ana"]
    owner   = "ana"
  }
  service "web" {
    group      = group.app
    depends_on = { (service.api) = 1 }
  }
  service "api" {
    group      = group.app
    depends_on = { (service.db) = 0.5 }
  }
  service "db" {
    group      = group.app
    depends_on = [service.cache, service.web] # ERROR col=34: Dependency cycle
  }
  service "cache" {
    group = group.app
  }
}
